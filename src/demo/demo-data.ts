import { LocalisedText } from '../centers/service.entity';

export interface DemoCenter {
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
  releaseTime: string;
  /** [weekdays, opens, closes] */
  hours: Array<[number[], string, string]>;
  counters: number;
  /** Per-center lead time for every service it offers; undefined keeps the service's. */
  leadTimeHours?: number;
}

export interface DemoService {
  code: string;
  nameZh: string;
  nameEn: string;
  leadTimeHours: number;
  requiredDocuments: LocalisedText[];
}

const MON_TO_SAT = [1, 2, 3, 4, 5, 6];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const ID_CARD: LocalisedText = { zh: '居民身份证原件', en: 'Resident identity card (original)' };

export const DEMO_CENTERS: DemoCenter[] = [
  {
    code: 'GY-NM-HGY',
    nameZh: '南明区花果园街道社区服务中心',
    nameEn: 'Huaguoyuan Community Service Center, Nanming District',
    addressZh: '贵州省贵阳市南明区花果园大街 88 号',
    addressEn: '88 Huaguoyuan Avenue, Nanming District, Guiyang, Guizhou',
    releaseTime: '08:00',
    hours: [
      [MON_TO_SAT, '08:30', '12:00'],
      [MON_TO_SAT, '13:30', '17:30'],
    ],
    counters: 3,
  },
  {
    code: 'GY-YY-ZSL',
    nameZh: '云岩区中山路社区服务中心',
    nameEn: 'Zhongshan Road Community Service Center, Yunyan District',
    addressZh: '贵州省贵阳市云岩区中山西路 36 号',
    addressEn: '36 Zhongshan West Road, Yunyan District, Guiyang, Guizhou',
    releaseTime: '08:00',
    hours: [
      [MON_TO_SAT, '08:30', '12:00'],
      [MON_TO_SAT, '13:30', '17:30'],
    ],
    counters: 3,
  },
  {
    code: 'GY-TRAIN',
    nameZh: '培训中心(全天开放,仅供演练)',
    nameEn: 'Training Center (open around the clock, for practice only)',
    addressZh: '贵州省贵阳市观山湖区长岭北路 1 号 培训楼',
    addressEn: 'Training Building, 1 Changling North Road, Guanshanhu District, Guiyang, Guizhou',
    releaseTime: '00:00',
    hours: [[EVERY_DAY, '00:00', '24:00']],
    counters: 3,
    leadTimeHours: 0,
  },
];

export const DEMO_SERVICES: DemoService[] = [
  {
    code: 'RESIDENCE-CERT',
    nameZh: '居住证明',
    nameEn: 'Residence certificate',
    leadTimeHours: 24,
    requiredDocuments: [ID_CARD, { zh: '租房合同或房屋产权证明', en: 'Tenancy contract or property ownership certificate' }],
  },
  {
    code: 'HUKOU-EXTRACT',
    nameZh: '户籍证明(户口簿摘录)',
    nameEn: 'Household-registration extract',
    leadTimeHours: 24,
    requiredDocuments: [ID_CARD, { zh: '户口簿原件', en: 'Household register (hukou booklet), original' }],
  },
  {
    code: 'NO-CRIMINAL-RECORD',
    nameZh: '无犯罪记录证明',
    nameEn: 'No-criminal-record certificate',
    leadTimeHours: 24,
    requiredDocuments: [ID_CARD, { zh: '用途说明(如单位出具的证明)', en: 'Statement of purpose (e.g. a letter from the employer)' }],
  },
];
